import './styles/base.css'

import { createPinia } from 'pinia'
import { createApp } from 'vue'

import App from './App.vue'
import { createAppI18n } from './i18n'
import { syncPlatformClock } from './platformClock'
import { createAppRouter } from './router'

const app = createApp(App)
app.use(createPinia())
app.use(createAppI18n())
app.use(createAppRouter())
app.mount('#app')
void syncPlatformClock() // countdowns follow once it answers
