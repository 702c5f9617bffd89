// `npm run manifest` writes custom-elements.json from the sources; package.json names it by hand.
export default {
  globs: ['src/**/*.ts'],
  // Styles are no API: left out, so a CSS change does not rewrite the manifest.
  exclude: ['src/**/*.test.ts', 'src/styles.ts'],
  litelement: true,
  packagejson: false,
};
