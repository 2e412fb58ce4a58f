/**
 * Save text as a file from the page: a Blob URL on a temporary link with `download`. Works
 * the same in the browser and in Electron (which shows its save dialog), and needs no host
 * method. The URL is revoked after the click has been handled.
 */
export function downloadText(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.append(a)
  a.click()
  a.remove()
  // A tick later: the download has taken the URL by then.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
