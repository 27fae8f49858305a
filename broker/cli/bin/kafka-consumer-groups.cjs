#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports */
/* global require */
require('./launch.cjs')('kafka-consumer-groups');
