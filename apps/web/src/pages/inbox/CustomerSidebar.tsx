import { Alert, Anchor, Avatar, Badge, Box, Group, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconBuilding, IconExternalLink, IconMail, IconPhone, IconUserQuestion } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useContact, useContactConversations } from '../../api/queries';
import type { ContactDetail, ContactIdentity } from '../../api/types';
import { ErrorState } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import { browserLabel } from '../../lib/userAgent';
import { DuplicateContacts } from './DuplicateContacts';
import { SidebarSection } from './SidebarSection';
import { ConversationSummary } from './ConversationSummary';
import { WhyThisAgent } from './WhyThisAgent';
import { ContactMoodChart } from './mood/ContactMoodChart';
import classes from './Inbox.module.css';
import { statusColors, statusLabels, titleCase } from './inbox';

interface Props {
  contactId: string;
  /** The conversation on screen: left out of "Other conversations". */
  conversationId: string;
}

/** Who the customer is: contact details, identities, what the chat saw, and their other conversations. */
export function CustomerSidebar({ contactId, conversationId }: Props) {
  const contact = useContact(contactId);

  if (contact.isPending) return <SidebarSkeleton />;
  if (contact.isError) {
    return isApiError(contact.error, 'not_found') ? (
      <Text size="sm" c="dimmed">
        This customer’s record is no longer available.
      </Text>
    ) : (
      <ErrorState title="Could not load the customer" error={contact.error} onRetry={() => void contact.refetch()} />
    );
  }
  const c = contact.data;
  return (
    <Stack gap="lg">
      <ContactCard contact={c} />
      <ContactMoodChart contactId={contactId} conversationId={conversationId} />
      <ConversationSummary conversationId={conversationId} />
      <WhyThisAgent conversationId={conversationId} />
      {c.unverified_claim && <UnverifiedClaim claim={c.unverified_claim} />}
      {c.left_email && <LeftEmail left={c.left_email} />}
      <Identities identities={c.identities} />
      <DuplicateContacts contact={c} />
      <Visitor contact={c} />
      <OtherConversations contactId={contactId} conversationId={conversationId} />
    </Stack>
  );
}

function ContactCard({ contact }: { contact: ContactDetail }) {
  const name = contact.name?.trim() || 'Unknown visitor';
  const details: { icon: ReactNode; label: string; value: string | null }[] = [
    { icon: <IconMail size={14} />, label: 'Email', value: contact.email },
    { icon: <IconPhone size={14} />, label: 'Phone', value: contact.phone },
    { icon: <IconBuilding size={14} />, label: 'Company', value: contact.company },
  ];
  const known = details.filter((d) => d.value);
  const fmt = useFormat();
  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="nowrap">
        <Avatar size={44} radius="xl" color="initials" name={contact.name?.trim() || undefined} alt="">
          {contact.name?.trim() ? undefined : <IconUserQuestion size={22} />}
        </Avatar>
        <Box style={{ minWidth: 0 }}>
          <Text fw={600} truncate title={name}>
            {name}
          </Text>
          <Text size="xs" c="dimmed">
            Customer since {fmt.date(contact.created_at)}
          </Text>
        </Box>
      </Group>
      {known.length > 0 ? (
        <Stack gap={6} component="dl" m={0}>
          {known.map((d) => (
            <Group key={d.label} gap="xs" wrap="nowrap" align="center">
              <Tooltip label={d.label}>
                <Box component="dt" c="dimmed" style={{ display: 'flex' }} aria-label={d.label}>
                  {d.icon}
                </Box>
              </Tooltip>
              <Text component="dd" m={0} size="sm" truncate title={d.value ?? undefined} style={{ minWidth: 0 }}>
                {d.value}
              </Text>
            </Group>
          ))}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          No email, phone or company yet.
        </Text>
      )}
    </Stack>
  );
}

function UnverifiedClaim({ claim }: { claim: NonNullable<ContactDetail['unverified_claim']> }) {
  const who = [claim.name, claim.email].filter(Boolean).join(' ');
  return (
    <Alert color="yellow" variant="light" title="Unverified identity" icon={<IconAlertTriangle size={18} />}>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        Unverified: says they are {who || 'someone'} (id {claim.id}) — the site did not sign this.
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        Anyone can claim this. Do not share account details until you have confirmed who you are talking to.
      </Text>
    </Alert>
  );
}

function LeftEmail({ left }: { left: NonNullable<ContactDetail['left_email']> }) {
  const fmt = useFormat();
  return (
    <Alert color="blue" variant="light" title="Left an email while you were away" icon={<IconMail size={18} />}>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {left.name ? `${left.name} — ` : ''}
        {left.email} <Text span size="xs" c="dimmed">(unverified, {fmt.relative(left.left_at)})</Text>
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        The visitor typed this; it was not checked. Reply there only with what you would tell anyone.
      </Text>
    </Alert>
  );
}

function Identities({ identities }: { identities: ContactIdentity[] }) {
  return (
    <SidebarSection title="Identities">
      {identities.length === 0 ? (
        <Text size="sm" c="dimmed">
          No identities recorded.
        </Text>
      ) : (
        <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {identities.map((i) => (
            <Group key={`${i.kind}:${i.value}`} component="li" gap="xs" wrap="nowrap" justify="space-between">
              <Box style={{ minWidth: 0 }}>
                <Text size="xs" c="dimmed">
                  {identityKind(i.kind)}
                </Text>
                <Text size="sm" truncate title={i.value}>
                  {i.value}
                </Text>
              </Box>
              {i.verified ? (
                <Badge size="sm" variant="light" color="green" style={{ flexShrink: 0 }}>
                  Verified
                </Badge>
              ) : (
                <Badge size="sm" variant="light" color="gray" style={{ flexShrink: 0 }}>
                  Unverified
                </Badge>
              )}
            </Group>
          ))}
        </Stack>
      )}
    </SidebarSection>
  );
}

const identityKinds: Record<string, string> = { email: 'Email', phone: 'Phone', external_id: 'Site user id', external: 'Site user id' };
const identityKind = (kind: string) => identityKinds[kind] ?? titleCase(kind.replace(/[_-]+/g, ' '));

/** An http(s) address, or null: anything else (javascript:, data:…) is never made a link. */
function webUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function Visitor({ contact }: { contact: ContactDetail }) {
  const fmt = useFormat();
  const v = contact.visitor;
  const seen = v?.seen_at ?? contact.last_seen_at;
  if (!v) {
    return (
      <SidebarSection title="Visitor">
        <Text size="sm" c="dimmed">
          No website visit recorded{contact.last_seen_at ? `; last seen ${fmt.relative(contact.last_seen_at)}` : ''}.
        </Text>
      </SidebarSection>
    );
  }
  const browser = browserLabel(v.user_agent);
  const rows: { label: string; value: ReactNode; title?: string }[] = [
    { label: 'Current page', value: <PageLink value={v.url} />, title: v.url ?? undefined },
    { label: 'Referrer', value: <PageLink value={v.referrer} />, title: v.referrer ?? undefined },
    { label: 'Language', value: v.language ?? '—' },
    { label: 'Location', value: v.location ?? '—', title: v.location ? 'From the browser’s time zone and language; rough' : undefined },
    { label: 'Time zone', value: v.time_zone ?? '—' },
    { label: 'Browser', value: browser ?? v.user_agent ?? '—', title: v.user_agent ?? undefined },
    { label: 'Last seen', value: fmt.relative(seen), title: fmt.dateTime(seen) },
  ];
  return (
    <SidebarSection title="Visitor">
      <Stack gap={8} component="dl" m={0}>
        {rows.map((r) => (
          <Box key={r.label} className={classes.sidebarRow}>
            <Text component="dt" size="xs" c="dimmed">
              {r.label}
            </Text>
            <Text component="dd" size="sm" m={0} truncate title={r.title} style={{ minWidth: 0 }}>
              {r.value}
            </Text>
          </Box>
        ))}
      </Stack>
    </SidebarSection>
  );
}

function PageLink({ value }: { value: string | null }) {
  if (!value) return <>—</>;
  const href = webUrl(value);
  if (!href) return <>{value}</>;
  return (
    <Anchor href={href} target="_blank" rel="noopener noreferrer" size="sm" inherit>
      {value}
      <IconExternalLink size={12} style={{ marginLeft: 4, verticalAlign: 'middle' }} aria-label="(opens in a new tab)" />
    </Anchor>
  );
}

function OtherConversations({ contactId, conversationId }: Props) {
  const list = useContactConversations(contactId);
  const fmt = useFormat();
  const { search } = useLocation();
  const others = list.data?.filter((c) => c.id !== conversationId);
  return (
    <SidebarSection title="Other conversations">
      {list.isPending && (
        <Stack gap="xs" aria-busy="true" aria-label="Loading conversations">
          <Skeleton height={40} />
          <Skeleton height={40} />
        </Stack>
      )}
      {list.isError && <ErrorState title="Could not load conversations" error={list.error} onRetry={() => void list.refetch()} />}
      {others?.length === 0 && (
        <Text size="sm" c="dimmed">
          No other conversations with this customer.
        </Text>
      )}
      {others && others.length > 0 && (
        <Stack gap={0} component="nav" aria-label="Other conversations with this customer">
          {others.map((c) => (
            <Box key={c.id} component={Link} to={{ pathname: `/inbox/${c.id}`, search }} className={classes.sidebarLink}>
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Text size="sm" fw={500} truncate>
                  {c.subject || 'No subject'}
                </Text>
                <Badge size="xs" variant="light" color={statusColors[c.status]} style={{ flexShrink: 0 }}>
                  {statusLabels[c.status]}
                </Badge>
              </Group>
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Text size="xs" c="dimmed" truncate>
                  {c.inbox.name}
                </Text>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }} title={fmt.dateTime(c.last_message_at ?? c.created_at)}>
                  {fmt.date(c.last_message_at ?? c.created_at)}
                </Text>
              </Group>
            </Box>
          ))}
        </Stack>
      )}
    </SidebarSection>
  );
}

function SidebarSkeleton() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading customer">
      <Group gap="sm" wrap="nowrap">
        <Skeleton height={44} circle />
        <Stack gap={6} style={{ flex: 1 }}>
          <Skeleton height={12} width="70%" radius="xl" />
          <Skeleton height={10} width="50%" radius="xl" />
        </Stack>
      </Group>
      {[80, 60, 70, 50].map((w, i) => (
        <Skeleton key={i} height={10} width={`${w}%`} radius="xl" />
      ))}
    </Stack>
  );
}
