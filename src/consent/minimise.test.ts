import assert from 'node:assert/strict';
import { test } from 'node:test';
import { truncateIp, userAgentFamily } from './minimise.js';

test('IP addresses are cut to /24 and /48 networks', () => {
  assert.equal(truncateIp('203.0.113.77'), '203.0.113.0/24');
  assert.equal(truncateIp('::ffff:198.51.100.9'), '198.51.100.0/24');
  assert.equal(truncateIp('2001:db8:85a3:8d3:1319:8a2e:370:7348'), '2001:db8:85a3::/48');
  assert.equal(truncateIp('2001:db8::1'), '2001:db8::/48');
  assert.equal(truncateIp('not an ip'), null);
});

test('user agents are reduced to browser and OS family', () => {
  assert.equal(
    userAgentFamily(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    ),
    'Chrome on Windows',
  );
  assert.equal(
    userAgentFamily(
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1',
    ),
    'Safari on iOS',
  );
  assert.equal(
    userAgentFamily('Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'),
    'Firefox on Linux',
  );
  assert.equal(userAgentFamily('curl/8.0'), 'Other');
});
