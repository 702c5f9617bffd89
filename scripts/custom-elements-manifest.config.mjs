// Settings of `npm run manifest` in each element package: custom-elements.json from the sources.
export default {
  globs: ['src/**/*.ts'],
  // Styles are no API: left out, so a CSS change does not rewrite the manifest.
  exclude: ['src/**/*.test.ts', 'src/styles.ts'],
  litelement: true,
  // package.json names the manifest by hand.
  packagejson: false,
  plugins: [
    {
      // The analyzer lists modules in file-system order, which differs between machines and runs.
      name: 'sort-modules',
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      },
    },
  ],
};
