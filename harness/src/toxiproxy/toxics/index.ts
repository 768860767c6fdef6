// Registers every toxic kind. A new kind is a new file in this folder plus one line here.
import './noop.js';
import './latency.js';
import './bandwidth.js';
import './slow-close.js';
import './timeout.js';
import './reset-peer.js';
import './slicer.js';
import './limit-data.js';
