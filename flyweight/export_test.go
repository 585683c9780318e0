package flyweight

// Capacity exposes capacity to the tests.
var Capacity = capacity
