/** @module Notification views for operators (filled in by the notifications stage). */
import type { Config } from '../../config'
import type { StateRecord } from '../../store/records'

export function describeNotifications(_config: Config, state: StateRecord, _now: number): { pending: number } {
  return { pending: state.outbox.length }
}
