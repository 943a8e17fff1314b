/** The organization's China number and how a verification code reaches it. */

export type PhoneChannel = 'sms' | 'voice';

/** Mainland mobiles (+86 1[3-9]…, 11 digits) read an SMS; a landline is called and the code spoken. */
export function phoneChannel(phone: string): PhoneChannel {
  return /^\+861[3-9]\d{9}$/.test(phone) ? 'sms' : 'voice';
}
