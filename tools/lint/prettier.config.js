/** @module Prettier for flowkey: the style the code is already written in (no semicolons, single quotes, long lines). */
export default { semi: false, singleQuote: true, printWidth: 160, trailingComma: 'all' }
