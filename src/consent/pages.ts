import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.js';

/** Public consent pages; being written. */
export function consentPages(_ctx: AppContext): FastifyPluginAsync {
  return async () => {};
}
