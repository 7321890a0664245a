// Draws a small picture with node-canvas and writes it as a PNG.
// canvas is a native addon: `npm ci` either downloads a prebuilt canvas.node
// for this Node.js ABI and CPU, or compiles one from C++ source.
'use strict';

const fs = require('fs');
const path = require('path');
const { createCanvas } = require('canvas');

const out = process.argv[2] || 'out/canvas.png';
const canvas = createCanvas(360, 180);
const ctx = canvas.getContext('2d');

// Shapes only, no text: text would need fonts, which are not the point here.
const sky = ctx.createLinearGradient(0, 0, 0, 180);
sky.addColorStop(0, '#232f3e');
sky.addColorStop(1, '#ff9900');
ctx.fillStyle = sky;
ctx.fillRect(0, 0, 360, 180);

const bars = [40, 75, 60, 110, 95, 140];
bars.forEach((h, i) => {
  ctx.fillStyle = i % 2 ? '#ffffff' : '#146eb4';
  ctx.fillRect(30 + i * 52, 170 - h, 36, h);
});

ctx.beginPath();
ctx.arc(70, 45, 25, 0, 2 * Math.PI);
ctx.fillStyle = '#ffd866';
ctx.fill();

const png = canvas.toBuffer('image/png');
fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
fs.writeFileSync(out, png);
const version = require('canvas/package.json').version;
console.log(`canvas ${version} on ${process.arch} (Node.js ${process.version}, ABI ${process.versions.modules}): wrote ${out}, ${png.length} bytes`);
