// The article body: Markdown written in a text area with a formatting toolbar (and Ctrl+B / Ctrl+I /
// Ctrl+K), beside a live preview the server renders with the same sanitising renderer the help
// center uses, so what the agent sees is exactly what readers will get.
import { ActionIcon, Box, Divider, Group, Loader, Menu, Paper, SimpleGrid, Text, Textarea, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertSquareRounded, IconBold, IconCode, IconH2, IconH3, IconItalic, IconLink, IconList, IconListNumbers, IconPhoto, IconSourceCode } from '@tabler/icons-react';
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { errorMessage } from '../../api/client';
import { useKbPreview } from './kbApi';
import { insertBlock, prefixLines, wrap, type Edit } from './markdownEdits';
import classes from './kb.module.css';

interface Props {
  value: string;
  onChange: (value: string) => void;
  label?: string;
}

const CALLOUTS = [
  { kind: 'NOTE', label: 'Note' },
  { kind: 'TIP', label: 'Tip' },
  { kind: 'IMPORTANT', label: 'Important' },
  { kind: 'WARNING', label: 'Warning' },
];

export function MarkdownEditor({ value, onChange, label = 'Article body (Markdown)' }: Props) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [debounced] = useDebouncedValue(value, 300);
  const preview = useKbPreview(debounced, true);

  const apply = (change: (e: Edit) => Edit) => {
    const el = area.current;
    const current: Edit = { text: value, selectionStart: el?.selectionStart ?? value.length, selectionEnd: el?.selectionEnd ?? value.length };
    const next = change(current);
    onChange(next.text);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.selectionStart, next.selectionEnd);
    });
  };

  const tools: Array<{ label: string; icon: ReactNode; keys?: string; run: () => void }> = [
    { label: 'Heading', icon: <IconH2 size={16} />, run: () => apply((e) => prefixLines(e, () => '## ')) },
    { label: 'Subheading', icon: <IconH3 size={16} />, run: () => apply((e) => prefixLines(e, () => '### ')) },
    { label: 'Bold', keys: 'Ctrl+B', icon: <IconBold size={16} />, run: () => apply((e) => wrap(e, '**', '**', 'bold text')) },
    { label: 'Italic', keys: 'Ctrl+I', icon: <IconItalic size={16} />, run: () => apply((e) => wrap(e, '*', '*', 'italic text')) },
    { label: 'Bulleted list', icon: <IconList size={16} />, run: () => apply((e) => prefixLines(e, () => '- ')) },
    { label: 'Numbered list', icon: <IconListNumbers size={16} />, run: () => apply((e) => prefixLines(e, (i) => `${i + 1}. `)) },
    { label: 'Link', keys: 'Ctrl+K', icon: <IconLink size={16} />, run: () => apply((e) => wrap(e, '[', '](https://)', 'link text')) },
    { label: 'Image', icon: <IconPhoto size={16} />, run: () => apply((e) => insertBlock(e, '![Describe the image](https://)')) },
    { label: 'Inline code', icon: <IconCode size={16} />, run: () => apply((e) => wrap(e, '`', '`', 'code')) },
    { label: 'Code block', icon: <IconSourceCode size={16} />, run: () => apply((e) => insertBlock(e, '```\n' + (e.text.slice(e.selectionStart, e.selectionEnd) || 'code') + '\n```')) },
  ];

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    const tool = key === 'b' ? tools[2] : key === 'i' ? tools[3] : key === 'k' ? tools[6] : undefined;
    if (!tool) return;
    event.preventDefault();
    tool.run();
  };

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Box>
        <Group gap={2} mb={6} role="toolbar" aria-label="Formatting">
          {tools.map((t, i) => (
            <Group key={t.label} gap={2} wrap="nowrap">
              {(i === 2 || i === 4 || i === 6) && <Divider orientation="vertical" mx={4} />}
              <Tooltip label={t.keys ? `${t.label} (${t.keys})` : t.label}>
                <ActionIcon variant="subtle" color="gray" aria-label={t.label} onClick={t.run}>
                  {t.icon}
                </ActionIcon>
              </Tooltip>
            </Group>
          ))}
          <Menu position="bottom-start" withinPortal>
            <Menu.Target>
              <Tooltip label="Callout">
                <ActionIcon variant="subtle" color="gray" aria-label="Callout">
                  <IconAlertSquareRounded size={16} />
                </ActionIcon>
              </Tooltip>
            </Menu.Target>
            <Menu.Dropdown>
              {CALLOUTS.map((c) => (
                <Menu.Item key={c.kind} onClick={() => apply((e) => insertBlock(e, `> [!${c.kind}]\n> ${e.text.slice(e.selectionStart, e.selectionEnd) || `${c.label} text`}`))}>
                  {c.label}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Group>
        <Textarea
          ref={area}
          aria-label={label}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          autosize
          minRows={16}
          maxRows={40}
          className={classes.source}
          placeholder={'Write the answer in Markdown.\n\n## A heading\n\n- a list item\n\n> [!TIP]\n> A callout'}
        />
      </Box>
      <Box>
        <Group justify="space-between" mb={6} h={28}>
          <Text size="sm" fw={500} id="kb-preview-label">
            Preview
          </Text>
          {preview.isFetching && <Loader size="xs" aria-label="Updating the preview" />}
        </Group>
        <Paper withBorder p="md" mih={200} aria-labelledby="kb-preview-label" role="region">
          {preview.isError ? (
            <Text c="red" size="sm">
              Could not show the preview: {errorMessage(preview.error)}
            </Text>
          ) : value.trim() === '' ? (
            <Text c="dimmed" size="sm">
              The article as readers will see it appears here.
            </Text>
          ) : (
            // HTML from the server's renderer: Markdown with raw HTML off, then sanitised (SECURITY 11).
            <div className={classes.preview} data-testid="kb-preview" dangerouslySetInnerHTML={{ __html: preview.data?.html ?? '' }} />
          )}
        </Paper>
      </Box>
    </SimpleGrid>
  );
}
