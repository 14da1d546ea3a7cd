import { api, type Schemas } from '@/api/client'

import { contentTypeOf } from './vocabulary'

export type UploadForm = Schemas['FileUploadFormOut']

/** POSTs the presigned form with the file as its last field, reporting progress (0..1). */
export function postForm(form: UploadForm, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const data = new FormData()
    for (const [name, value] of Object.entries(form.fields)) data.append(name, value)
    data.append('file', file)
    const xhr = new XMLHttpRequest()
    xhr.open(form.method ?? 'POST', form.url)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1)
        resolve()
      } else reject(new Error(`upload failed: HTTP ${xhr.status}`))
    }
    xhr.onerror = () => reject(new Error('upload failed: network'))
    xhr.send(data)
  })
}

/** Announces the file (POST /api/files), then uploads it; answers the reference to attach (`file:<id>`). */
export async function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<string> {
  const granted = await api.post('/api/files', {
    body: { filename: file.name, content_type: contentTypeOf(file) as Schemas['FileUploadIn']['content_type'], size: file.size },
  })
  await postForm(granted.upload, file, onProgress)
  return granted.ref
}
