import type { DataMessages } from '../en/data'

const data: DataMessages = {
  title: '数据'
}

export default data
