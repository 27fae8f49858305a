/** Pure generation: spec directory in, map of generated file name -> content out (no writes). */
import { join } from 'node:path';
import { emitErrors, emitIndex, emitMessages, moduleName, type ApiPair } from './emit-file';
import { loadAllSpecs, loadErrors } from './spec';

export function generate(protocolDir: string): Map<string, string> {
  const specs = loadAllSpecs(join(protocolDir, 'messages'));
  const files = new Map<string, string>();
  const requests = specs.filter((s) => s.type === 'request');
  const apis: ApiPair[] = requests
    .map((request) => {
      const name = request.name.replace(/Request$/, '');
      const response = specs.find((s) => s.type === 'response' && s.apiKey === request.apiKey);
      if (!response) throw new Error(`no response for ${request.name}`);
      return { apiKey: request.apiKey!, name, module: moduleName(name), request, response };
    })
    .sort((a, b) => a.apiKey - b.apiKey);
  for (const a of apis) files.set(`${a.module}.ts`, emitMessages([a.request, a.response]));

  const dataModules: { module: string; names: string[] }[] = [];
  for (const s of specs.filter((x) => x.type !== 'request' && x.type !== 'response')) {
    const module = moduleName(s.name);
    files.set(`${module}.ts`, emitMessages([s]));
    dataModules.push({ module, names: [s.name] });
  }
  files.set('index.ts', emitIndex(apis, dataModules));
  files.set('errors.ts', emitErrors(loadErrors(join(protocolDir, 'errors.json'))));
  return files;
}
