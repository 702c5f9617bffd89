/** Node-only parts of `@xsync/core`: what needs the file system. */
export { fileTokenStore } from './connection/fast/fileTokenStore.js';
