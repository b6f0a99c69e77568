import { render } from 'preact';
import { SetupApp } from './SetupApp.js';
import { parseSetupQuery } from './form-model.js';

const root = document.getElementById('app');
if (root) render(<SetupApp {...parseSetupQuery(location.search)} />, root);
