package ooxml

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
)

func TestExtendSST(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{
			`<?xml version="1.0"?>` + "\n" + `<sst xmlns="m" count="3" uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>`,
			`<?xml version="1.0"?>` + "\n" + `<sst xmlns="m" count="6" uniqueCount="4"><si><t>a</t></si><si><t>b</t></si><si><t>Tenancy &amp; more</t></si><si><t xml:space="preserve"> x</t></si></sst>`,
		},
		{
			`<x:sst xmlns:x="m" uniqueCount="1"><x:si><x:t>a</x:t></x:si></x:sst>` + "\n",
			`<x:sst xmlns:x="m" uniqueCount="3"><x:si><x:t>a</x:t></x:si><x:si><x:t>Tenancy &amp; more</x:t></x:si><x:si><x:t xml:space="preserve"> x</x:t></x:si></x:sst>` + "\n",
		},
		{
			`<sst xmlns="m"/>`, `<sst xmlns="m" uniqueCount="2" count="3"><si><t>Tenancy &amp; more</t></si><si><t xml:space="preserve"> x</t></si></sst>`,
		},
		{
			`<sst xmlns="m"><si><t>a</t></si>`, "",
		},
	} {
		s := NewStringIndex(strings.Count(c.in, "<si>") + strings.Count(c.in, "<x:si>"))
		if s.Of("Tenancy & more") != s.base || s.Of(" x") != s.base+1 || s.Of("Tenancy & more") != s.base {
			t.Fatal("indexes are not stable")
		}
		var out bytes.Buffer
		err := ExtendSST(&out, iotest.OneByteReader(strings.NewReader(c.in)), s)
		if c.want == "" {
			if err == nil {
				t.Errorf("%s: want an error for a table with no end tag", c.in)
			}
			continue
		}
		if err != nil || out.String() != c.want {
			t.Errorf("ExtendSST(%s):\n got %s (%v)\nwant %s", c.in, out.String(), err, c.want)
		}
	}
}
