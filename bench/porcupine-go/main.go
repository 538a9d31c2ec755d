// Porcupine beside tenrec: times Porcupine v1.3.0 on histories written by tenrec's
// bench/porcupine-side.ts, for `npm run bench:checker -- --porcupine PATH`. Not part of tenrec:
// kept here so the figures in docs/performance.md can be reproduced. Build (Go 1.19 or later):
//   go mod tidy && go build -o porc-side .
// or, offline, against a clone of github.com/anishathalye/porcupine at v1.3.0:
//   go mod edit -replace github.com/anishathalye/porcupine=CLONE && GOFLAGS=-mod=mod go build -o porc-side .
// Usage: porc-side [-warm] [-reps N] FILE...
// Each FILE: a header line {"model","initial","partition","timeout"}, then one op per line
// {"c","call","ret","key","f","in","out","unknown","casok"}. Prints one line per file:
// {"file": F, "ms": best of N, "result": "Ok" | "Illegal" | "Unknown"}.
// Models are Porcupine's own test models (porcupine_test.go: etcdModel, kvModel,
// kvNoPartitionModel), copied here, with a key on the register input for partitioning and an
// "unknown" flag on kv output (an op of unknown outcome constrains nothing).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"sort"
	"time"

	"github.com/anishathalye/porcupine"
)

type header struct {
	Model     string   `json:"model"`
	Initial   *float64 `json:"initial"`
	Partition bool     `json:"partition"`
	Timeout   float64  `json:"timeout"`
}

type line struct {
	C       int             `json:"c"`
	Call    float64         `json:"call"`
	Ret     float64         `json:"ret"`
	Key     string          `json:"key"`
	F       string          `json:"f"`
	In      json.RawMessage `json:"in"`
	Out     json.RawMessage `json:"out"`
	Unknown bool            `json:"unknown"`
	Casok   bool            `json:"casok"`
}

// ---- register: Porcupine's etcdModel, keyed ----

const nilValue = -1000000

type etcdInput struct {
	op   uint8 // 0 => read, 1 => write, 2 => cas
	arg1 int
	arg2 int
	key  string
}

type etcdOutput struct {
	ok      bool
	exists  bool
	value   int
	unknown bool
}

func etcdModel(initial int, partition bool) porcupine.Model {
	m := porcupine.Model{
		Init: func() interface{} { return initial },
		Step: func(state interface{}, input interface{}, output interface{}) (bool, interface{}) {
			st := state.(int)
			inp := input.(etcdInput)
			out := output.(etcdOutput)
			if inp.op == 0 {
				ok := (out.exists == false && st == nilValue) || (out.exists == true && st == out.value) || out.unknown
				return ok, state
			} else if inp.op == 1 {
				return true, inp.arg1
			} else {
				ok := (inp.arg1 == st && out.ok) || (inp.arg1 != st && !out.ok) || out.unknown
				result := st
				if inp.arg1 == st {
					result = inp.arg2
				}
				return ok, result
			}
		},
	}
	if partition {
		m.Partition = func(history []porcupine.Operation) [][]porcupine.Operation {
			return byKey(history, func(o porcupine.Operation) string { return o.Input.(etcdInput).key })
		}
	}
	return m
}

// ---- kv: Porcupine's kvModel and kvNoPartitionModel ----

type kvInput struct {
	op    uint8 // 0 => get, 1 => put, 2 => append
	key   string
	value string
}

type kvOutput struct {
	value   string
	unknown bool
}

var kvModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		return byKey(history, func(o porcupine.Operation) string { return o.Input.(kvInput).key })
	},
	Init: func() interface{} { return "" },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		inp := input.(kvInput)
		out := output.(kvOutput)
		st := state.(string)
		if inp.op == 0 {
			return out.unknown || out.value == st, state
		} else if inp.op == 1 {
			return true, inp.value
		} else {
			return true, (st + inp.value)
		}
	},
	Hash: func(state interface{}) uint64 {
		h := fnv.New64a()
		h.Write([]byte(state.(string)))
		return h.Sum64()
	},
}

var kvNoPartitionModel = porcupine.Model{
	Init: func() interface{} { return make(map[string]string) },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		inp := input.(kvInput)
		out := output.(kvOutput)
		st := state.(map[string]string)
		if inp.op == 0 {
			return out.unknown || out.value == st[inp.key], state
		} else if inp.op == 1 {
			st2 := cloneMap(st)
			st2[inp.key] = inp.value
			return true, st2
		} else {
			st2 := cloneMap(st)
			st2[inp.key] = st2[inp.key] + inp.value
			return true, st2
		}
	},
	Equal: func(state1, state2 interface{}) bool {
		s1 := state1.(map[string]string)
		s2 := state2.(map[string]string)
		if len(s1) != len(s2) {
			return false
		}
		for k, v := range s1 {
			if s2[k] != v {
				return false
			}
		}
		return true
	},
	Hash: func(state interface{}) uint64 {
		st := state.(map[string]string)
		var h uint64
		for k, v := range st {
			kh := fnv.New64a()
			kh.Write([]byte(k))
			kh.Write([]byte(v))
			h ^= kh.Sum64()
		}
		return h
	},
}

func cloneMap(m map[string]string) map[string]string {
	m2 := make(map[string]string)
	for k, v := range m {
		m2[k] = v
	}
	return m2
}

func byKey(history []porcupine.Operation, key func(porcupine.Operation) string) [][]porcupine.Operation {
	m := make(map[string][]porcupine.Operation)
	for _, v := range history {
		k := key(v)
		m[k] = append(m[k], v)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ret := make([][]porcupine.Operation, 0, len(keys))
	for _, k := range keys {
		ret = append(ret, m[k])
	}
	return ret
}

// ---- reading ----

type problem struct {
	model   porcupine.Model
	ops     []porcupine.Operation
	timeout time.Duration
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "porc-side: "+format+"\n", args...)
	os.Exit(2)
}

func str(raw json.RawMessage) string {
	var s *string
	if len(raw) > 0 && json.Unmarshal(raw, &s) == nil && s != nil {
		return *s
	}
	return ""
}

func num(raw json.RawMessage) (int, bool) {
	var f *float64
	if len(raw) > 0 && json.Unmarshal(raw, &f) == nil && f != nil {
		return int(*f), true
	}
	return 0, false
}

func read(path string) problem {
	f, err := os.Open(path)
	if err != nil {
		fail("%v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	if !sc.Scan() {
		fail("%s: empty", path)
	}
	var h header
	if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
		fail("%s:1: %v", path, err)
	}
	var lines []line
	maxTime := 0.0
	for n := 2; sc.Scan(); n++ {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			fail("%s:%d: %v", path, n, err)
		}
		maxTime = math.Max(maxTime, math.Max(l.Call, l.Ret))
		lines = append(lines, l)
	}
	p := problem{timeout: time.Duration(h.Timeout * float64(time.Second))}
	switch h.Model {
	case "register":
		initial := nilValue
		if h.Initial != nil {
			initial = int(*h.Initial)
		}
		p.model = etcdModel(initial, h.Partition)
	case "kv":
		if h.Partition {
			p.model = kvModel
		} else {
			p.model = kvNoPartitionModel
		}
	default:
		fail("%s: unknown model %q", path, h.Model)
	}
	for _, l := range lines {
		ret := int64(l.Ret)
		if l.Unknown {
			// As Porcupine's own parsers do: an op of unknown outcome returns after everything.
			ret = int64(maxTime) + 1
		}
		op := porcupine.Operation{ClientId: l.C, Call: int64(l.Call), Return: ret}
		if h.Model == "register" {
			in := etcdInput{key: l.Key}
			out := etcdOutput{unknown: l.Unknown}
			switch l.F {
			case "read":
				in.op = 0
				out.value, out.exists = num(l.Out)
			case "write":
				in.op = 1
				in.arg1, _ = num(l.In)
			case "cas":
				in.op = 2
				var pair []float64
				if json.Unmarshal(l.In, &pair) != nil || len(pair) != 2 {
					fail("%s: cas input %s", path, string(l.In))
				}
				in.arg1, in.arg2 = int(pair[0]), int(pair[1])
				out.ok = l.Casok
			default:
				fail("%s: register op %q", path, l.F)
			}
			op.Input, op.Output = in, out
		} else {
			in := kvInput{key: l.Key, value: str(l.In)}
			switch l.F {
			case "get":
				in.op = 0
			case "put":
				in.op = 1
			case "append":
				in.op = 2
			default:
				fail("%s: kv op %q", path, l.F)
			}
			op.Input, op.Output = in, kvOutput{value: str(l.Out), unknown: l.Unknown}
		}
		p.ops = append(p.ops, op)
	}
	return p
}

func check(p problem) porcupine.CheckResult {
	return porcupine.CheckOperationsTimeout(p.model, p.ops, p.timeout)
}

func main() {
	warm := flag.Bool("warm", false, "check every file once, untimed, first")
	reps := flag.Int("reps", 1, "best of this many timed checks per file")
	flag.Parse()
	problems := make([]problem, flag.NArg())
	for i, path := range flag.Args() {
		problems[i] = read(path)
	}
	if *warm {
		for _, p := range problems {
			check(p)
		}
	}
	out := json.NewEncoder(os.Stdout)
	for i, p := range problems {
		best := math.Inf(1)
		var result porcupine.CheckResult
		for r := 0; r < *reps; r++ {
			start := time.Now()
			result = check(p)
			best = math.Min(best, float64(time.Since(start).Nanoseconds())/1e6)
		}
		out.Encode(map[string]interface{}{"file": flag.Arg(i), "ms": best, "result": string(result)})
	}
}
