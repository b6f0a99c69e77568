/**
 * The icon of every browser notification (Chrome requires one for type 'basic'): a 64×64 PNG of a
 * shield, 323 bytes, inlined as a data: URL so the extension ships no separate asset for it.
 * Drawn by a short script (a rounded blue square, a white shield with a two-tone inside);
 * regenerate it the same way if the extension gets real icons, or point this at one of them.
 */
export const NOTIFICATION_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAABCklEQVR42u3buxUCMQxEUXdBcxRCTbRDLcRLAfxsSdZ4redzNiR4NyAatTb4LtfHsfLXot/qwdNAzh7ugtgtfghh1/guhN3jfyJUif+KUBqgWvwbAgAAFAaw/HDVZ0IAAAAAAIgAsP4T3+5P0wcAAAAAAAAAAAAAAAAAAAAAAAAAAEAmQCSCMt4FEIWgjHcDRCAo40MAvAjK+DAAD4IyPhTAiqCMDwewICjjpwCMIijjpwGMICjj0wE+hfTEnxKgF0EZPx2gB0EZnwLwD0EZnwZg2RSkDaUyV1mrxacD9CCkT+UU+7xV4l1bwWiEkktRZTxTWQCK3wxwMcLRFGdzHE5yOsvx9IYgoz0vdQp34ztEhpIAAAAASUVORK5CYII=';
