/**
 * A document transform for `codegen.yml`: adds `__typename` to every selection set, as Apollo
 * Client's cache does before it sends a query, so that the persisted text is the one the client's
 * cache expects answers to. YAML cannot name an exported object, and codegen loads transforms with
 * `require`, hence this CommonJS module.
 */
/* global require, module */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- codegen requires this file as CommonJS
const { addTypenameSelectionDocumentTransform } = require('@graphql-codegen/client-preset');

module.exports = addTypenameSelectionDocumentTransform;
