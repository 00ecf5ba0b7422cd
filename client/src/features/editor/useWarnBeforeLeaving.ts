import { useEffect } from 'react';

/**
 * While `unsynced`, closing or reloading the tab asks first (the browser's own dialog: its text
 * cannot be set). Offline edits are also kept on this device, but a writer should know they have
 * not reached the desk.
 */
export function useWarnBeforeLeaving(unsynced: boolean): void {
  useEffect(() => {
    if (!unsynced) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers need returnValue set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [unsynced]);
}
