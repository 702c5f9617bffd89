// fast-json-patch's ESM build (index.mjs) has the same API as its CommonJS main, whose types
// it lacks. Node cannot take named imports from the CommonJS main; bundlers pick index.mjs.
declare module 'fast-json-patch/index.mjs' {
  export * from 'fast-json-patch';
}
