// Starts Open Telekom Cloud DRS jobs declaratively and waits until they replicate.
package drs
