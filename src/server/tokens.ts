/** API tokens are an app service; the server and its tests take them from here. */
export { workspaceTokens, type TokenService } from '../app/workspace/tokens.ts';
