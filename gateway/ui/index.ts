export { uiRouter, rolePermissions } from './router';
