package br_test

import (
	"errors"
	"fmt"

	"github.com/torquehq/torque/domain/br"
)

func ExampleParseCPF() {
	c, err := br.ParseCPF("529.982.247-25")
	fmt.Println(c, c.Formatted(), err)

	_, err = br.ParseCPF("111.111.111-11")
	var ve *br.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field, ve.Code)
	}
	// Output:
	// 52998224725 529.982.247-25 <nil>
	// cpf repeated_digits
}

func ExampleParseDocument() {
	for _, s := range []string{"529.982.247-25", "12.abc.345/01de-35"} {
		d, _ := br.ParseDocument(s)
		fmt.Println(d.Kind(), d.Formatted())
	}
	// Output:
	// cpf 529.982.247-25
	// cnpj 12.ABC.345/01DE-35
}

func ExampleParsePhone() {
	p, _ := br.ParsePhone("011 98765-4321")
	fmt.Println(p.E164(), p.Formatted(), p.DDD(), p.IsMobile())
	// Output: +5511987654321 (11) 98765-4321 11 true
}

func ExampleSamePlate() {
	old, _ := br.ParsePlate("abc-1234")
	newer, _ := br.ParsePlate("ABC1C34")
	fmt.Println(old.Formatted(), old.Mercosul(), br.SamePlate(old, newer))
	// Output: ABC-1234 ABC1C34 true
}

func ExampleParseMoneyBRL() {
	m, _ := br.ParseMoneyBRL("1.234,5")
	total, _ := m.Mul(3)
	fmt.Println(m.Cents(), total)
	// Output: 123450 R$ 3.703,50
}
