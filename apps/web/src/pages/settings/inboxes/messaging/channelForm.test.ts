import { describe, expect, it } from 'vitest';
import type { ChannelInfo, Inbox } from '../../../../api/types';
import { checkField, checkValues, inboxBody, initialValues, inSentence } from './channelForm';

// A provider's form as GET /channels answers it: a secret with a pattern, an optional setting, a generated value.
const info: ChannelInfo = {
  channel: 'whatsapp',
  label: 'WhatsApp',
  address_kind: 'phone',
  reply_window_hours: 24,
  templates: true,
  webhook_help: 'Paste this URL in the Meta app.',
  docs: [],
  fields: [
    { name: 'access_token', label: 'Access token', secret: true, optional: false, generated: false, pattern: '^EAA\\w+$', problem: 'must start with EAA', placeholder: null, help: '' },
    { name: 'phone_number_id', label: 'Phone number ID', secret: false, optional: false, generated: false, pattern: '^\\d+$', problem: 'is the number Meta shows', placeholder: null, help: '' },
    { name: 'business_id', label: 'Business ID', secret: false, optional: true, generated: false, pattern: null, problem: null, placeholder: null, help: '' },
    { name: 'verify_token', label: 'Verify token', secret: false, optional: false, generated: true, pattern: null, problem: null, placeholder: null, help: '' },
  ],
};

const saved = { id: 'i1', name: 'WA', member_ids: ['u1'], provider_settings: { phone_number_id: '123', business_id: '77', verify_token: 'vt' }, secrets_set: ['access_token'] } as unknown as Inbox;

describe('the guided form of a messaging inbox', () => {
  it('asks for required values and says the provider’s sentence when a pattern does not match', () => {
    const field = info.fields[0];
    expect(checkField(field, '', false)).toBe('Enter the access token');
    expect(checkField(field, 'nope', false)).toBe('Must start with EAA');
    expect(checkField(field, ' EAAabc ', false)).toBeNull();
    // A stored secret may stay blank; an optional value too.
    expect(checkField(field, '', true)).toBeNull();
    expect(checkField(info.fields[2], '', false)).toBeNull();
  });

  it('asks for one of two alternatives (a phone number or a messaging service) when neither is given', () => {
    const sms: ChannelInfo = {
      ...info,
      channel: 'sms',
      fields: [
        { name: 'phone_number', label: 'Phone number', secret: false, optional: true, generated: false, pattern: null, problem: null, placeholder: null, one_of: 'sender', help: '' },
        { name: 'messaging_service_sid', label: 'Messaging service SID', secret: false, optional: true, generated: false, pattern: null, problem: null, placeholder: null, one_of: 'sender', help: '' },
      ],
    };
    const values = initialValues(sms, null, []);
    expect(checkValues(sms, null, { ...values, name: 'SMS' })).toEqual({ 'settings.phone_number': 'Enter the phone number or the messaging service SID' });
    expect(checkValues(sms, null, { ...values, name: 'SMS', settings: { ...values.settings, messaging_service_sid: 'MG1' } })).toEqual({});
  });

  it('names a field inside a sentence without breaking its acronyms', () => {
    expect(inSentence('Account SID')).toBe('account SID');
    expect(inSentence('Phone number ID')).toBe('phone number ID');
    expect(checkField(info.fields[1], '', false)).toBe('Enter the phone number ID');
  });

  it('never asks for generated values, and errors carry the paths the server names (settings.<field>)', () => {
    const values = initialValues(info, null, ['me']);
    expect(Object.keys(values.settings)).toEqual(['access_token', 'phone_number_id', 'business_id']);
    expect(checkValues(info, null, { ...values, settings: { ...values.settings, phone_number_id: 'abc' } })).toEqual({
      name: 'Give the inbox a name',
      'settings.access_token': 'Enter the access token',
      'settings.phone_number_id': 'Is the number Meta shows',
    });
  });

  it('on an edit, starts secrets blank and leaves a blank one out so the stored one stays; a cleared optional value is sent empty', () => {
    const values = initialValues(info, saved, ['me']);
    expect(values.settings).toEqual({ access_token: '', phone_number_id: '123', business_id: '77' });
    expect(checkValues(info, saved, values)).toEqual({});
    const body = inboxBody(info, { ...values, settings: { ...values.settings, business_id: ' ' } }, false);
    expect(body).toEqual({ name: 'WA', member_ids: ['u1'], settings: { phone_number_id: '123', business_id: '' } });
    expect(inboxBody(info, { ...values, settings: { access_token: ' EAAnew ', phone_number_id: '9', business_id: '' } }, true)).toEqual({
      channel: 'whatsapp',
      name: 'WA',
      member_ids: ['u1'],
      settings: { access_token: 'EAAnew', phone_number_id: '9' },
    });
  });
});
