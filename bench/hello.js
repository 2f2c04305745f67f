// The baseline for start-up: the smallest Ink program, rendered in the same terminal.
import React from 'react';
import {render, Text} from 'ink';

const app = render(React.createElement(Text, null, 'Hello from Ink'));
setTimeout(() => app.unmount(), 200);
