// `npm run manifest` writes custom-elements.json from the sources; package.json names it by hand.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts'],
  litelement: true,
  packagejson: false,
};
