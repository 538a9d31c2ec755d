import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript, showValue } from '../../src/report/escape.ts';

describe('escapeHtml', () => {
  it('escapes every character that can open markup or end an attribute', () => {
    expect(escapeHtml(`<script>"a" & 'b'</script>`)).toBe('&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;');
  });
  it('stringifies non-strings', () => {
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('jsonForScript', () => {
  it('never contains a raw < > & or line separator, and parses back to the same value', () => {
    const value = { s: '</script><script>alert(1)</script><!-- & \u2028\u2029', n: [1, 2] };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
  it('writes Infinity (an op that never returned) as null', () => {
    expect(JSON.parse(jsonForScript({ r: Infinity }))).toEqual({ r: null });
  });
});

describe('showValue', () => {
  it('quotes strings and renders JSON for the rest', () => {
    expect(showValue('a')).toBe('"a"');
    expect(showValue([1, 2])).toBe('[1,2]');
    expect(showValue(null)).toBe('null');
    expect(showValue(undefined)).toBe('');
  });
});
