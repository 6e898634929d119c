/** @module Notification views for operators (filled in by the notifications stage). */
import { Hono } from 'hono'
import type { Config } from '../../config'
import type { StateRecord } from '../../store/records'
import type { AppEnv, Runtime } from '../context'

export function describeNotifications(_config: Config, state: StateRecord, _now: number): { pending: number } {
  return { pending: state.outbox.length }
}

export function notificationRoutes(_runtime: Runtime): Hono<AppEnv> {
  return new Hono<AppEnv>()
}
