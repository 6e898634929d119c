/** @module Kaleyra's regional pods and the base URL each answers on. */

export const PODS = ['in', 'sg', 'eu', 'na'] as const
export type Pod = (typeof PODS)[number]
export type PodSetting = Pod | 'auto'

/** API domains from Kaleyra's documentation ("API Domain and Value"). */
export const POD_BASE_URLS: Readonly<Record<Pod, string>> = {
  in: 'https://api.in.kaleyra.io',
  sg: 'https://api.kaleyra.io',
  eu: 'https://api.eu.kaleyra.io',
  na: 'https://api.na.kaleyra.ai',
}

/**
 * Pods tried, in order, when the setting is `auto`: the first that answers for
 * the account wins. Kaleyra's WhatsApp accounts live mostly on IN, so it goes first.
 */
export const AUTO_POD_ORDER: readonly Pod[] = ['in', 'sg', 'eu', 'na']

export function isPod(value: string): value is Pod {
  return (PODS as readonly string[]).includes(value)
}
