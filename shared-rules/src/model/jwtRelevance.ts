import type { RuleRelevance } from '../engine/types';

/**
 * Where a JWT rule can report (engine relevance): every JWT rule except no-revocation-path (a project rule that
 * collects evidence from every file) reacts only to calls, `new`, `super(...)` and plugin registrations whose callee
 * resolves to a JWT library symbol. A library symbol always comes from a module specifier written in the file or in a
 * project module that resolution follows (imports, re-exports, wrappers); the one exception, the `@fastify/jwt`
 * decorations (`request.jwtVerify()`, `reply.jwtSign()`, `fastify.jwt.verify()`), is named with `jwt` in the text.
 * `jwt` also covers @nestjs/jwt, @fastify/jwt, fastify-jwt, fast-jwt, express-jwt, koa-jwt, passport-jwt, hono/jwt,
 * hono/utils/jwt, jwt-decode, jwt-simple and next-auth/jwt; the rest are listed. `@auth/` is next-auth's v5 family.
 */
export const JWT_RELEVANCE: RuleRelevance = {
  modules: ['jwt', 'jsonwebtoken', 'jose', 'jws', 'jwks-rsa', 'hono/jwk', 'next-auth', '@auth/', 'google-auth-library'],
};

/** decode-used-for-authorization also matches a hand-written `JSON.parse(base64(token.split('.')[1]))`. */
export const JWT_DECODE_RELEVANCE: RuleRelevance = { ...JWT_RELEVANCE, mentions: ['JSON'] };
