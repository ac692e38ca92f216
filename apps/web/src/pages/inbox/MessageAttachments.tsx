import { ActionIcon, Box, Stack, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconFile, IconFileSpreadsheet, IconFileText, IconFileTypePdf, IconFileZip, IconMovie, IconMusic, IconPresentation, type Icon } from '@tabler/icons-react';
import type { Attachment } from '../../api/types';
import { fileSize } from '../../lib/format';
import classes from './Inbox.module.css';

/** Only links to this server are followed: a file URL is never allowed to run script or leave the app. */
function sameOriginUrl(url: string): string | null {
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.origin === window.location.origin ? parsed.pathname + parsed.search : null;
  } catch {
    return null;
  }
}

function downloadUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}download=1`;
}

function fileIcon(type: string): Icon {
  if (type === 'application/pdf') return IconFileTypePdf;
  if (type.startsWith('video/')) return IconMovie;
  if (type.startsWith('audio/')) return IconMusic;
  if (type.includes('zip') && !type.includes('officedocument') && !type.includes('opendocument')) return IconFileZip;
  if (type.includes('spreadsheet') || type === 'text/csv') return IconFileSpreadsheet;
  if (type.includes('presentation')) return IconPresentation;
  if (type.startsWith('text/') || type.includes('wordprocessing') || type.includes('opendocument.text')) return IconFileText;
  return IconFile;
}

/** A message's files: images shown inline (click for full size), everything else as a download row. */
export function MessageAttachments({ attachments, align }: { attachments: Attachment[]; align: 'flex-start' | 'flex-end' }) {
  if (attachments.length === 0) return null;
  return (
    <Stack gap={6} align={align} component="ul" aria-label="Attachments" style={{ listStyle: 'none', padding: 0, margin: 0, maxWidth: '100%' }}>
      {attachments.map((attachment) => {
        const url = sameOriginUrl(attachment.url);
        return (
          <Box component="li" key={attachment.id} maw="100%">
            {attachment.inline && url ? (
              <a href={url} target="_blank" rel="noopener noreferrer" title={`Open ${attachment.file_name} full size`}>
                <img
                  src={url}
                  alt={attachment.file_name}
                  width={attachment.width ?? undefined}
                  height={attachment.height ?? undefined}
                  loading="lazy"
                  className={classes.attachmentImage}
                />
              </a>
            ) : (
              <FileRow attachment={attachment} url={url} />
            )}
          </Box>
        );
      })}
    </Stack>
  );
}

function FileRow({ attachment, url }: { attachment: Attachment; url: string | null }) {
  const Icon = fileIcon(attachment.content_type);
  return (
    <Box className={classes.attachmentFile}>
      <Icon size={24} stroke={1.5} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} aria-hidden />
      <Box style={{ minWidth: 0, flex: 1 }}>
        <Text size="sm" fw={500} truncate title={attachment.file_name}>
          {attachment.file_name}
        </Text>
        <Text size="xs" c="dimmed">
          {fileSize(attachment.byte_size)}
        </Text>
      </Box>
      {url && (
        <Tooltip label="Download">
          <ActionIcon component="a" href={downloadUrl(url)} download={attachment.file_name} variant="subtle" color="gray" aria-label={`Download ${attachment.file_name}`}>
            <IconDownload size={18} />
          </ActionIcon>
        </Tooltip>
      )}
    </Box>
  );
}
