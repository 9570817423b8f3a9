import type { Rule } from '../../engine/types';
import signWithoutExpiry from './sign-without-expiry';
import excessiveExpiry from './excessive-expiry';
import sensitiveDataInPayload from './sensitive-data-in-payload';
import hardcodedOrWeakSecret from './hardcoded-or-weak-secret';
import decodeUsedForAuthorization from './decode-used-for-authorization';
import noRevocationPath from './no-revocation-path';
import verifyWithoutAlgorithms from './verify-without-algorithms';
import noneAlgorithm from './none-algorithm';
import ignoreExpiration from './ignore-expiration';
import hmacWithPublicKey from './hmac-with-public-key';
import algorithmFromTokenHeader from './algorithm-from-token-header';
import joseVerifyWithoutAlgorithms from './jose-verify-without-algorithms';
import expressJwtWithoutAlgorithms from './express-jwt-without-algorithms';
import verifyWithoutAudience from './verify-without-audience';

export const jwtRules: Rule[] = [
  signWithoutExpiry,
  excessiveExpiry,
  sensitiveDataInPayload,
  hardcodedOrWeakSecret,
  decodeUsedForAuthorization,
  noRevocationPath,
  verifyWithoutAlgorithms,
  noneAlgorithm,
  ignoreExpiration,
  hmacWithPublicKey,
  algorithmFromTokenHeader,
  joseVerifyWithoutAlgorithms,
  expressJwtWithoutAlgorithms,
  verifyWithoutAudience,
];
