// The shared settings: scripts/custom-elements-manifest.config.mjs.
export { default } from '../../scripts/custom-elements-manifest.config.mjs';
