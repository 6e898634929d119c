/**
 * @module Every route of flowkey, declared once: method, path, schemas, access and CORS.
 * Validation, /openapi.json, 405 answers, the operator check and CORS are all derived from this table (mount.ts).
 */
import * as z from './schemas/z'
import { CURSOR_PATTERN } from '../ledger/fleet-page'
import { defineRoute } from './declare'
import { LabelParam, NOT_MODIFIED, PhoneParams, errorResponse, htmlPage, json } from './schemas/common'
import { HealthSchema } from './schemas/health'
import { HistorySchema, JwksSchema, KeySchema } from './schemas/keys'
import {
  CheckQuery,
  CheckQueuedSchema,
  CheckReportSchema,
  DeleteNumberResult,
  ImportBody,
  ImportCsv,
  ImportResult,
  MuteBody,
  MuteResult,
  NotifyTestSchema,
  NumbersPageSchema,
  PageQuery,
  ProbeResult,
  PutNumberBody,
  PutNumberResult,
  StatusQuery,
  StatusSchema,
} from './schemas/operator'

const keyErrors = { 400: errorResponse('invalid_phone'), 404: errorResponse('unknown_number, or no_key for a watched number without a good key yet') }
const jwks = { description: 'JWKS (RFC 7517)', content: { 'application/jwk-set+json': { schema: JwksSchema } } }

export const ROUTES = {
  healthz: defineRoute(
    { access: 'public', cors: true },
    {
      method: 'get',
      path: '/healthz',
      summary: "flowkey's own health (its check runs), with a summary of the fleet",
      request: {
        query: z.object({
          strict: z
            .enum(['0', '1'])
            .optional()
            .openapi({ param: { name: 'strict', in: 'query' }, description: '1: also 503 when the fleet summary needs attention' }),
          label: LabelParam,
        }),
      },
      responses: {
        200: json('Healthy', HealthSchema),
        503: json('misconfigured, no_check_yet, stale, or (strict) needs_attention; error holds the reason', HealthSchema),
      },
    },
  ),
  fleetJwks: defineRoute(
    { access: 'public', cors: true, lean: true },
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      summary: 'JWKS of the current key of every watched number',
      responses: { 200: jwks, 304: NOT_MODIFIED },
    },
  ),
  numberJwks: defineRoute(
    { access: 'public', cors: true, lean: true },
    {
      method: 'get',
      path: '/v1/numbers/{phone}/jwks.json',
      summary: "JWKS holding the number's current key",
      request: { params: PhoneParams },
      responses: { 200: jwks, 304: NOT_MODIFIED, ...keyErrors },
    },
  ),
  numberKey: defineRoute(
    { access: 'public', cors: true, lean: true },
    {
      method: 'get',
      path: '/v1/numbers/{phone}/key',
      summary: "The number's current key: JSON, or the PEM alone with Accept: application/x-pem-file (or ?format=pem)",
      request: {
        params: PhoneParams,
        query: z.object({
          format: z
            .enum(['pem'])
            .optional()
            .openapi({ param: { name: 'format', in: 'query' }, description: 'pem: the PEM alone, as for a link' }),
        }),
      },
      responses: {
        200: { description: 'The key', content: { 'application/json': { schema: KeySchema }, 'application/x-pem-file': { schema: z.string() } } },
        304: NOT_MODIFIED,
        ...keyErrors,
      },
    },
  ),
  numberHistory: defineRoute(
    { access: 'public', cors: true, lean: true },
    {
      method: 'get',
      path: '/v1/numbers/{phone}/history',
      summary: "The number's events, newest first (whole with the operator token; sid null and error codes only without)",
      request: { params: PhoneParams },
      responses: { 200: json('History', HistorySchema), 304: NOT_MODIFIED, 400: errorResponse('invalid_phone'), 404: errorResponse('unknown_number') },
    },
  ),
  status: defineRoute(
    { access: 'operator' },
    {
      method: 'get',
      path: '/v1/status',
      summary: 'Every watched number (paged) with its last check, and the delivery state of notifications',
      request: { query: StatusQuery },
      responses: { 200: json('Status', StatusSchema) },
    },
  ),
  check: defineRoute(
    { access: 'operator' },
    {
      method: 'post',
      path: '/v1/check',
      summary: 'Run a check now: every number, or ?phone=',
      request: { query: CheckQuery },
      responses: {
        200: json('Outcomes of the run (a fleet of one batch or a ?phone= check)', CheckReportSchema),
        202: json('A larger fleet: queued, checked the way the cron does it', CheckQueuedSchema),
        400: errorResponse('invalid_phone'),
        404: errorResponse('unknown_number'),
      },
    },
  ),
  listNumbers: defineRoute(
    { access: 'operator' },
    {
      method: 'get',
      path: '/v1/numbers',
      summary: 'The watch list, paged',
      request: { query: PageQuery },
      responses: { 200: json('Numbers with SID and pod setting', NumbersPageSchema) },
    },
  ),
  importNumbers: defineRoute(
    { access: 'operator', lean: true },
    {
      method: 'post',
      path: '/v1/numbers',
      summary: 'Add or change many numbers, all or nothing (JSON or text/csv, up to 10,000 entries)',
      request: { body: { required: true, content: { 'application/json': { schema: ImportBody }, 'text/csv': { schema: ImportCsv } } } },
      responses: { 200: json('Counts', ImportResult), 400: errorResponse('invalid_request, with every bad entry in error.entries') },
    },
  ),
  putNumber: defineRoute(
    { access: 'operator' },
    {
      method: 'put',
      path: '/v1/numbers/{phone}',
      summary: 'Add or change a watched number',
      request: { params: PhoneParams, body: { required: false, content: { 'application/json': { schema: PutNumberBody } } } },
      responses: { 200: json('Changed', PutNumberResult), 201: json('Added', PutNumberResult) },
    },
  ),
  deleteNumber: defineRoute(
    { access: 'operator' },
    {
      method: 'delete',
      path: '/v1/numbers/{phone}',
      summary: 'Stop watching a number; its history stays',
      request: { params: PhoneParams },
      responses: { 200: json('Removed', DeleteNumberResult), 404: errorResponse('unknown_number') },
    },
  ),
  muteNumber: defineRoute(
    { access: 'operator' },
    {
      method: 'put',
      path: '/v1/numbers/{phone}/mute',
      summary: 'Mute the number until a time: checked and recorded, nothing sent; its problem is sent once at the end',
      request: { params: PhoneParams, body: { required: true, content: { 'application/json': { schema: MuteBody } } } },
      responses: {
        200: json('Muted', MuteResult),
        400: errorResponse('invalid_request'),
        404: errorResponse('unknown_number'),
      },
    },
  ),
  unmuteNumber: defineRoute(
    { access: 'operator' },
    {
      method: 'delete',
      path: '/v1/numbers/{phone}/mute',
      summary: "End the number's mute; its current problem is sent once",
      request: { params: PhoneParams },
      responses: { 204: { description: 'Not muted' }, 404: errorResponse('unknown_number') },
    },
  ),
  probe: defineRoute(
    { access: 'operator' },
    {
      method: 'post',
      path: '/v1/numbers/{phone}/probe',
      summary: "Probe the number's Flow endpoint now with its current key",
      request: { params: PhoneParams },
      responses: { 200: json('Outcome of the probe', ProbeResult), 404: errorResponse('unknown_number, or no endpoint or key') },
    },
  ),
  notifyTest: defineRoute(
    { access: 'operator' },
    {
      method: 'post',
      path: '/v1/notify/test',
      summary: "Send a ping event to every configured channel and answer each channel's result",
      responses: { 200: json("Each channel's result", NotifyTestSchema) },
    },
  ),
  statusPage: defineRoute(
    { access: 'public' },
    {
      method: 'get',
      path: '/',
      summary: 'Human status page: a summary, then numbers needing attention first',
      request: {
        query: z.object({
          q: z
            .string()
            .max(40)
            .optional()
            .openapi({ param: { name: 'q', in: 'query' }, description: 'Part of a phone number' }),
          label: LabelParam,
          cursor: z
            .string()
            .regex(CURSOR_PATTERN, 'is not a cursor flowkey gave: start again from the first page')
            .optional()
            .openapi({ param: { name: 'cursor', in: 'query' }, description: 'Where the page starts: the Next link of the page before' }),
        }),
      },
      responses: { 200: htmlPage('HTML') },
    },
  ),
  numberPage: defineRoute(
    { access: 'public' },
    {
      method: 'get',
      path: '/numbers/{phone}',
      summary: 'Human page of one number: current and previous key, signature status, endpoint state, history',
      request: { params: PhoneParams },
      responses: { 200: htmlPage('HTML'), 404: errorResponse('unknown_number') },
    },
  ),
  openapi: defineRoute(
    { access: 'public', cors: true },
    {
      method: 'get',
      path: '/openapi.json',
      summary: 'This document',
      responses: { 200: json('OpenAPI 3.1', z.object({ openapi: z.string() }).passthrough()) },
    },
  ),
} as const

export type Routes = typeof ROUTES
export type RouteName = keyof Routes
