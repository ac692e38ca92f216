/** Forward-only, versioned SQL migrations, applied in order. Append new ones; never edit old ones. */
import m0001 from './0001_accounts.js';
import m0002 from './0002_conversations.js';
import m0003 from './0003_conversation_core.js';
import m0004 from './0004_visitors.js';
import m0005 from './0005_business_hours.js';
import m0006 from './0006_attachments.js';
import m0007 from './0007_presence_and_receipts.js';
import m0008 from './0008_drop_duplicate_message_index.js';
import m0009 from './0009_email_channel.js';
import m0010 from './0010_api_channel.js';
import m0011 from './0011_contact_forms.js';
import m0012 from './0012_messaging_channels.js';
import m0014 from './0014_webhooks.js';
import m0015 from './0015_reactions.js';
import m0016 from './0016_search.js';
import m0017 from './0017_conversation_handling.js';
import m0018 from './0018_routing.js';
import m0021 from './0021_knowledge_base.js';
import m0024 from './0024_kb_authoring.js';
import m0025 from './0025_help_center.js';
import m0027 from './0027_inbox_list_indexes.js';
import m0020 from './0020_automation.js';
import m0019 from './0019_sla.js';
import m0022 from './0022_mood.js';
import m0023 from './0023_answer_bot.js';
import m0026 from './0026_sla_settings_version.js';
import m0028 from './0028_answer_bot_threshold.js';

export const migrations: ReadonlyArray<{ id: string; sql: string }> = [
  { id: '0001_accounts', sql: m0001 },
  { id: '0002_conversations', sql: m0002 },
  { id: '0003_conversation_core', sql: m0003 },
  { id: '0004_visitors', sql: m0004 },
  { id: '0005_business_hours', sql: m0005 },
  { id: '0006_attachments', sql: m0006 },
  { id: '0007_presence_and_receipts', sql: m0007 },
  { id: '0008_drop_duplicate_message_index', sql: m0008 },
  { id: '0009_email_channel', sql: m0009 },
  { id: '0010_api_channel', sql: m0010 },
  { id: '0011_contact_forms', sql: m0011 },
  { id: '0012_messaging_channels', sql: m0012 },
  { id: '0014_webhooks', sql: m0014 },
  { id: '0015_reactions', sql: m0015 },
  { id: '0016_search', sql: m0016 },
  { id: '0017_conversation_handling', sql: m0017 },
  { id: '0018_routing', sql: m0018 },
  { id: '0020_automation', sql: m0020 },
  { id: '0019_sla', sql: m0019 },
  { id: '0021_knowledge_base', sql: m0021 },
  { id: '0024_kb_authoring', sql: m0024 },
  { id: '0022_mood', sql: m0022 },
  { id: '0023_answer_bot', sql: m0023 },
  { id: '0025_help_center', sql: m0025 },
  { id: '0026_sla_settings_version', sql: m0026 },
  { id: '0027_inbox_list_indexes', sql: m0027 },
  { id: '0028_answer_bot_threshold', sql: m0028 },
];
