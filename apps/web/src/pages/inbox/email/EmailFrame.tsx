import { useEffect, useMemo, useRef, useState } from 'react';
import classes from '../Inbox.module.css';
import { emailDocument } from './emailDocument';

interface Props {
  html: string;
  remoteImages: boolean;
  /** What a screen reader announces for the frame ("Email from Ada Lovelace"). */
  title: string;
}

/** Links are opened by the app in a new tab (the frame may not open windows itself), never inside it. */
function openLink(event: MouseEvent) {
  const link = (event.target as Element | null)?.closest?.('a[href]');
  if (!link) return;
  event.preventDefault();
  const href = (link as HTMLAnchorElement).href;
  if (/^(https?|mailto):/i.test(href)) window.open(href, '_blank', 'noopener,noreferrer');
}

/**
 * An HTML email in a sandboxed frame: no script runs in it (no allow-scripts); allow-same-origin
 * only lets the app measure its height and catch link clicks. Its own policy blocks every request
 * but images from Rapport, and remote https images once the agent asks for them.
 */
export function EmailFrame({ html, remoteImages, title }: Props) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(48);
  const [loads, setLoads] = useState(0);
  const srcDoc = useMemo(() => emailDocument(html, remoteImages), [html, remoteImages]);

  useEffect(() => {
    const doc = frame.current?.contentDocument;
    if (!doc?.body) return;
    const measure = () => {
      const root = doc.documentElement;
      // The body, not the root: the root is never shorter than the frame, so the frame could never shrink
      // (a short email, or the quoted text hidden again).
      const content = Math.max(doc.body.scrollHeight, doc.body.offsetHeight);
      // A wide layout (a 600px newsletter on a phone) scrolls sideways inside: leave room for its scrollbar.
      const scrollbar = root.scrollWidth > root.clientWidth ? 16 : 0;
      setHeight(Math.ceil(content) + scrollbar);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(doc.body);
    // Images change the height as they arrive.
    doc.addEventListener('load', measure, true);
    doc.addEventListener('click', openLink);
    return () => {
      observer.disconnect();
      doc.removeEventListener('load', measure, true);
      doc.removeEventListener('click', openLink);
    };
  }, [loads]);

  return (
    <iframe
      ref={frame}
      title={title}
      sandbox="allow-same-origin"
      srcDoc={srcDoc}
      referrerPolicy="no-referrer"
      className={classes.emailFrame}
      style={{ height }}
      onLoad={() => setLoads((n) => n + 1)}
    />
  );
}
