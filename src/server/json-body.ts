/** JSON request bodies: Fastify's parser (which refuses `__proto__` poisoning), bounded in depth. */
import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { jsonTextTooDeep, tooDeepError } from '../bounded-json.js';

/** A `parseAs: 'string'` content-type parser that refuses over-deep JSON before parsing it. */
export function boundedJsonParser(app: FastifyInstance): FastifyBodyParser<string> {
  const parse = app.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    if (jsonTextTooDeep(body)) {
      done(tooDeepError('The JSON body'), undefined);
      return;
    }
    void parse(request, body, done);
  };
}
