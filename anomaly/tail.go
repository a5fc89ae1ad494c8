package anomaly

import "math"

// normalTail is P(Z ≥ z) for a standard normal Z.
func normalTail(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// poissonLower is P(X ≤ k) for X ~ Poisson(lambda).
func poissonLower(k, lambda float64) float64 {
	if lambda > 500 {
		return normalTail((lambda - k - 0.5) / math.Sqrt(lambda))
	}
	sum := 0.0
	for i := 0.0; i <= k; i++ {
		sum += math.Exp(i*math.Log(lambda) - lambda - lgamma(i+1))
	}
	return min(sum, 1)
}

// poissonUpper is P(X ≥ k) for X ~ Poisson(lambda).
func poissonUpper(k, lambda float64) float64 {
	if k <= 0 {
		return 1
	}
	return max(1-poissonLower(k-1, lambda), tinyPoisson(k, lambda))
}

// tinyPoisson is P(X = k), a lower bound of the upper tail that stays
// accurate where 1 - CDF rounds to zero.
func tinyPoisson(k, lambda float64) float64 {
	return math.Exp(k*math.Log(lambda) - lambda - lgamma(k+1))
}

// binomialUpper is P(X ≥ k) for X ~ Binomial(n, p).
func binomialUpper(k, n int, p float64) float64 {
	if k <= 0 {
		return 1
	}
	sum := 0.0
	for i := k; i <= n; i++ {
		sum += math.Exp(lgamma(float64(n+1)) - lgamma(float64(i+1)) - lgamma(float64(n-i+1)) +
			float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p))
	}
	return min(sum, 1)
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}
