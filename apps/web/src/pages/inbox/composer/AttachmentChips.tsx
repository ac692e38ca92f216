import { ActionIcon, Box, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertCircle, IconFile, IconPhoto, IconX } from '@tabler/icons-react';
import { fileSize } from '../../../lib/format';
import classes from '../Inbox.module.css';
import type { PendingFile } from './useAttachments';

/** The files waiting to go with the message: name, size, upload progress or the reason it was refused. */
export function AttachmentChips({ files, onRemove }: { files: PendingFile[]; onRemove: (key: string) => void }) {
  if (files.length === 0) return null;
  return (
    <Group gap="xs" mt={0} mb="xs" component="ul" aria-label="Files to send" style={{ listStyle: 'none', padding: 0 }} align="flex-start">
      {files.map((file) => {
        const Icon = file.state === 'error' ? IconAlertCircle : file.type.startsWith('image/') ? IconPhoto : IconFile;
        const errorId = `${file.key}-error`;
        return (
          <Box component="li" key={file.key} className={classes.fileChip} data-error={file.state === 'error' || undefined} data-state={file.state} aria-describedby={file.error ? errorId : undefined}>
            <Icon size={18} color={file.state === 'error' ? 'var(--mantine-color-red-filled)' : 'var(--mantine-color-dimmed)'} style={{ flexShrink: 0 }} aria-hidden />
            <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
              <Group gap={6} wrap="nowrap">
                <Text size="xs" fw={500} truncate title={file.name}>
                  {file.name}
                </Text>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {fileSize(file.size)}
                </Text>
              </Group>
              {file.state === 'uploading' && (
                <Progress size="xs" value={Math.round(file.progress * 100)} aria-label={`Uploading ${file.name}`} animated={file.progress >= 1} />
              )}
              {file.error && (
                <Text size="xs" c="red" id={errorId} role="alert" lh={1.3}>
                  {file.error}
                </Text>
              )}
            </Stack>
            <Tooltip label={file.state === 'uploading' ? 'Cancel upload' : 'Remove'}>
              <ActionIcon size="sm" variant="subtle" color="gray" onClick={() => onRemove(file.key)} aria-label={`Remove ${file.name}`} style={{ flexShrink: 0 }}>
                <IconX size={14} />
              </ActionIcon>
            </Tooltip>
          </Box>
        );
      })}
    </Group>
  );
}
