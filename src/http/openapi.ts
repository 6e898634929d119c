/** @module OpenAPI 3.1 description of flowkey's routes (INTERFACE.md is the source of truth). */

const phoneParam = {
  name: 'phone',
  in: 'path',
  required: true,
  description: 'Business number: +919876543210, %2B919876543210 or 919876543210 (8 to 15 digits)',
  schema: { type: 'string' },
}
const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } })
const json = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } })
const operator = [{ bearer: [] }]
const keyErrors = { '400': error('invalid_phone'), '404': error('unknown_number or no_key') }

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'flowkey',
    version: '0.1.0',
    description: 'Watches the WhatsApp Flows business encryption public key of Kaleyra business numbers and serves it as a JWKS.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
      },
      Jwk: {
        type: 'object',
        required: ['kty', 'n', 'e', 'alg', 'use', 'kid'],
        properties: {
          kty: { const: 'RSA' },
          n: { type: 'string' },
          e: { type: 'string' },
          alg: { const: 'RSA-OAEP-256' },
          use: { const: 'enc' },
          kid: { type: 'string', description: 'RFC 7638 SHA-256 thumbprint, base64url' },
        },
      },
      Jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { $ref: '#/components/schemas/Jwk' } } } },
      Event: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { enum: ['key.first_seen', 'key.rotated', 'key.removed', 'key.signature_invalid', 'key.signature_restored', 'check.failing', 'check.recovered'] },
          timestamp: { type: 'string', format: 'date-time' },
          data: { type: 'object' },
        },
      },
    },
  },
  paths: {
    '/healthz': { get: { summary: 'Health and the last check run', responses: { '200': json('Healthy'), '503': error('misconfigured, stale or no_check_yet') } } },
    '/.well-known/jwks.json': { get: { summary: 'JWKS of every watched number', responses: { '200': json('JWKS', { $ref: '#/components/schemas/Jwks' }), '304': { description: 'Not modified' } } } },
    '/v1/numbers/{phone}/jwks.json': {
      get: { summary: "JWKS holding the number's current key", parameters: [phoneParam], responses: { '200': json('JWKS', { $ref: '#/components/schemas/Jwks' }), '304': { description: 'Not modified' }, ...keyErrors } },
    },
    '/v1/numbers/{phone}/key': {
      get: {
        summary: "The number's current key: JSON, or the PEM with Accept: application/x-pem-file",
        parameters: [phoneParam],
        responses: {
          '200': {
            description: 'Key',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    ...Object.fromEntries(['phone', 'kid', 'pem', 'spki_sha256', 'signature_status', 'pod', 'first_seen_at', 'fetched_at', 'checked_at'].map((k) => [k, { type: 'string' }])),
                    jwk: { $ref: '#/components/schemas/Jwk' },
                  },
                },
              },
              'application/x-pem-file': { schema: { type: 'string' } },
            },
          },
          '304': { description: 'Not modified' },
          ...keyErrors,
        },
      },
    },
    '/v1/numbers/{phone}/history': {
      get: { summary: 'Events of the number, newest first', parameters: [phoneParam], responses: { '200': json('History', { type: 'object', properties: { phone: { type: 'string' }, events: { type: 'array', items: { $ref: '#/components/schemas/Event' } } } }), ...keyErrors } },
    },
    '/v1/status': { get: { summary: 'Every watched number with its last check, and notification delivery state', security: operator, responses: { '200': json('Status'), '401': error('unauthorized') } } },
    '/v1/check': {
      post: {
        summary: 'Run a check now (all numbers, or ?phone=)',
        security: operator,
        parameters: [{ name: 'phone', in: 'query', required: false, schema: { type: 'string' } }],
        responses: { '200': json('Outcomes of the run'), '400': error('invalid_phone'), '401': error('unauthorized'), '404': error('unknown_number') },
      },
    },
    '/v1/numbers': {
      get: {
        summary: 'The watch list, paged',
        security: operator,
        parameters: [
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: { '200': json('Numbers with SID and pod setting, and next_cursor'), '401': error('unauthorized') },
      },
    },
    '/v1/numbers/{phone}': {
      put: {
        summary: 'Add or change a watched number',
        security: operator,
        parameters: [phoneParam],
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { sid: { type: 'string' }, pod: { enum: ['auto', 'in', 'sg', 'eu', 'na'] } } } } } },
        responses: { '200': json('Changed'), '201': json('Added'), '400': error('invalid_phone or invalid_request'), '401': error('unauthorized') },
      },
      delete: { summary: 'Stop watching a number (its history stays)', security: operator, parameters: [phoneParam], responses: { '200': json('Removed'), '401': error('unauthorized'), '404': error('unknown_number') } },
    },
    '/v1/notify/test': { post: { summary: 'Send a ping event to every configured channel', security: operator, responses: { '200': json("Each channel's result"), '401': error('unauthorized') } } },
    '/': { get: { summary: 'Human status page', responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } } } },
    '/openapi.json': { get: { summary: 'This document', responses: { '200': json('OpenAPI 3.1') } } },
  },
} as const
