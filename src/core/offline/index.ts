export {
  generateOffline,
  type OfflineGenerationOptions,
  type OfflineGenerationResult,
} from './generate-offline.ts';
