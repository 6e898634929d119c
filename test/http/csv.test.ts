/** @module The RFC 4180 parser: the RFC's own examples (§2), what spreadsheets add (BOM, LF, CR), file line numbers, and the header-named table. */
import { describe, expect, it } from 'vitest'
import { CsvError, formatCsvField, parseCsv, readCsvTable } from '../../src/http/csv'

const fields = (text: string): string[][] => parseCsv(text).map((r) => r.fields)

function csvError(run: () => unknown): CsvError {
  try {
    run()
  } catch (err) {
    expect(err).toBeInstanceOf(CsvError)
    return err as CsvError
  }
  throw new Error('no CsvError')
}

describe('RFC 4180 §2 examples', () => {
  it('§2.1: records on separate lines, delimited by CRLF', () => {
    expect(fields('aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n')).toEqual([
      ['aaa', 'bbb', 'ccc'],
      ['zzz', 'yyy', 'xxx'],
    ])
  })

  it('§2.2: the last record may or may not end with a line break', () => {
    expect(fields('aaa,bbb,ccc\r\nzzz,yyy,xxx')).toEqual(fields('aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n'))
  })

  it('§2.3: an optional header line in the same format', () => {
    expect(fields('field_name,field_name,field_name\r\naaa,bbb,ccc\r\nzzz,yyy,xxx\r\n')).toEqual([
      ['field_name', 'field_name', 'field_name'],
      ['aaa', 'bbb', 'ccc'],
      ['zzz', 'yyy', 'xxx'],
    ])
  })

  it('§2.4: spaces are part of a field; the last field is not followed by a comma', () => {
    expect(fields(' aaa , bbb,ccc')).toEqual([[' aaa ', ' bbb', 'ccc']])
    expect(fields('aaa,bbb,')).toEqual([['aaa', 'bbb', '']])
  })

  it('§2.5: fields may be enclosed in double quotes', () => {
    expect(fields('"aaa","bbb","ccc"\r\nzzz,yyy,xxx')).toEqual([
      ['aaa', 'bbb', 'ccc'],
      ['zzz', 'yyy', 'xxx'],
    ])
  })

  it('§2.6: quoted fields hold line breaks, double quotes and commas', () => {
    expect(fields('"aaa","b\r\nbb","ccc"\r\nzzz,yyy,xxx')).toEqual([
      ['aaa', 'b\r\nbb', 'ccc'],
      ['zzz', 'yyy', 'xxx'],
    ])
    expect(fields('"a,b",c')).toEqual([['a,b', 'c']])
  })

  it('§2.7: a double quote inside a quoted field is written twice', () => {
    expect(fields('"aaa","b""bb","ccc"')).toEqual([['aaa', 'b"bb', 'ccc']])
    expect(fields('""""')).toEqual([['"']])
  })
})

describe('as spreadsheets write it', () => {
  it('drops a leading byte order mark (Excel "CSV UTF-8")', () => {
    expect(fields('\uFEFFphone,sid\r\n+919876543210,HX1\r\n')).toEqual([
      ['phone', 'sid'],
      ['+919876543210', 'HX1'],
    ])
  })

  it('takes LF and a lone CR as line breaks too, and skips blank lines', () => {
    expect(fields('a,b\n\nc,d\r\re,f\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ])
  })

  it('an empty quoted field is a record, not a blank line', () => {
    expect(fields('a\n""\nb')).toEqual([['a'], [''], ['b']])
  })

  it('names each record by the file line it starts on, quoted line breaks counted', () => {
    const records = parseCsv('h1,h2\r\n"x\r\ny\nz",1\r\n\r\nlast,2\n')
    expect(records.map((r) => r.line)).toEqual([1, 2, 6])
  })

  it('is linear: 2 MB of quotes parses at once', () => {
    const text = `"${'""'.repeat(1_000_000)}"`
    expect(parseCsv(text)[0]?.fields[0]).toHaveLength(1_000_000)
  })
})

describe('faults name their line', () => {
  it('a quoted field never closed: the line it opens on', () => {
    const err = csvError(() => parseCsv('a,b\nc,"d\ne\n'))
    expect(err.line).toBe(2)
    expect(err.message).toMatch(/^line 2: a quoted field starts here and is never closed/)
  })

  it('text after a closing quote, and a quote inside an unquoted field', () => {
    expect(csvError(() => parseCsv('a\n"x\ny"z,1')).message).toMatch(/^line 3: text follows a closing quote/)
    expect(csvError(() => parseCsv('a\nb"c')).message).toMatch(/^line 2: a quote inside an unquoted field/)
  })
})

describe('readCsvTable', () => {
  const options = { known: ['phone', 'sid', 'pod', 'endpoint_url'], required: ['phone'] }

  it('maps cells by header name in any order and case; empty cells are absent; rows keep index and line', () => {
    const table = readCsvTable('SID, Phone\r\nHX1,+919876543210\r\n\r\n,"+14155550100"\r\n', options)
    expect(table.columns).toEqual(['sid', 'phone'])
    expect(table.rows).toEqual([
      { index: 0, line: 2, cells: { sid: 'HX1', phone: '+919876543210' }, problem: null },
      { index: 1, line: 4, cells: { phone: '+14155550100' }, problem: null },
    ])
  })

  it('fewer fields are fields not given; more is a problem of that row', () => {
    const rows = readCsvTable('phone,sid\n+919876543210\n+14155550100,HX1,extra\n', options).rows
    expect(rows[0]).toMatchObject({ cells: { phone: '+919876543210' }, problem: null })
    expect(rows[1]).toMatchObject({ line: 3, problem: '3 fields, but the header names 2 columns' })
  })

  it.each([
    ['', /^line 1: the CSV is empty/],
    ['phone,colour\n', /^line 1: the header names an unknown column "colour"; the columns are phone,sid,pod,endpoint_url/],
    ['phone,sid,phone\n', /^line 1: the header names the column "phone" twice/],
    ['sid,pod\n', /^line 1: the header must name the column "phone"/],
    ['\n\nsid\n', /^line 3: the header must name the column "phone"/],
  ])('refuses the header of %j', (text, message) => {
    expect(csvError(() => readCsvTable(text, options)).message).toMatch(message)
  })
})

describe('formatCsvField', () => {
  it('quotes only what must be quoted, and reads back the same', () => {
    const values = ['plain', 'a,b', 'say "hi"', 'two\r\nlines', '']
    expect(values.map(formatCsvField)).toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\r\nlines"', ''])
    expect(fields(values.map(formatCsvField).join(','))).toEqual([values])
  })
})
