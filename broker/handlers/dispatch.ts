/**
 * Frame -> header -> generated decoder -> handler -> generated encoder. What Kafka does with requests it
 * cannot serve (SocketServer/RequestContext): an ApiVersions request at an unknown version gets a v0
 * response with UNSUPPORTED_VERSION and our ranges (KIP-511); any other unknown API key or version, or a
 * body that does not decode, closes the connection (the thrown error does that in network/).
 */
import type { Dispatcher } from '../network/server';
import type { BrokerContext } from '../node-context';
import { writeApiVersionsResponse } from '../protocol/generated/api-versions';
import { ErrorCode } from '../protocol/generated/errors';
import { API_BY_KEY, ApiKey } from '../protocol/generated/index';
import { readHeader, startResponse } from '../protocol/header';
import { apiVersionsBody } from './18-api-versions';
import { handlerMap } from './registry';
import type { ApiHandler, ApiKeyNumber, RequestContext } from './types';

export class UnsupportedRequestError extends Error {
  override name = 'UnsupportedRequestError';
}

export function createDispatcher(broker: BrokerContext, handlers = handlerMap()): Dispatcher {
  return (frame, connection) => {
    const { header, body } = readHeader(frame);
    const { requestApiKey: apiKey, requestApiVersion: version, correlationId } = header;
    const handler = handlers.get(apiKey) as ApiHandler<ApiKeyNumber> | undefined;
    if (!handler) throw new UnsupportedRequestError(`API key ${apiKey} is not served by this broker`);
    if (version < handler.minVersion || version > handler.maxVersion) {
      if (apiKey === ApiKey.ApiVersions) {
        const w = startResponse(apiKey, 0, correlationId);
        writeApiVersionsResponse(w, 0, apiVersionsBody(broker, ErrorCode.UNSUPPORTED_VERSION));
        return w.toChunks();
      }
      throw new UnsupportedRequestError(`API key ${apiKey} version ${version} is not supported`);
    }
    const spec = API_BY_KEY[apiKey]!;
    const request = spec.readRequest(body, version);
    const ctx: RequestContext = { header, apiVersion: version, connection, broker };
    const encode = (response: unknown): Buffer[] | null => {
      if (response === null) return null;
      const w = startResponse(apiKey, version, correlationId);
      spec.writeResponse(w, version, response);
      return w.toChunks();
    };
    const result = handler.handle(request, ctx);
    return result instanceof Promise ? result.then(encode) : encode(result);
  };
}
