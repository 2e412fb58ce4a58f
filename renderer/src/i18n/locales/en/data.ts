/** English messages of the data view (owned by that view; zh-CN/data.ts mirrors the keys). */
const data = {
  title: 'Data'
}

export type DataMessages = typeof data

export default data
