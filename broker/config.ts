/**
 * Public surface of the broker configuration (implementation in ./config/). This file exists so both
 * `./config` and `./config.js` specifiers resolve, whichever style an importer uses.
 */
export * from './config/index';
