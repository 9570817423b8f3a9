/** Replaced at bundle time; the package.json version otherwise. */
declare const __API_WARDEN_VERSION__: string | undefined;
export const VERSION: string = typeof __API_WARDEN_VERSION__ === 'string' ? __API_WARDEN_VERSION__ : '0.1.0';
