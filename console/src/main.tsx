// The console's entry: the stylesheet and the app, mounted into index.html's #app.
import { render } from 'preact';
import { App } from './app.js';
import './console.css';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
