/**
 * Device drivers written against their datasheets and Pi4J 3 I/O interfaces, so the same code runs on a Raspberry Pi
 * and against simulated chips: {@link dev.edgekit.hardware.driver.Bme280} over I2C with the datasheet's integer
 * compensation ({@link dev.edgekit.hardware.driver.Bme280Compensation}), {@link dev.edgekit.hardware.driver.Ds18b20}
 * through the kernel's w1 sysfs files, {@link dev.edgekit.hardware.driver.DebouncedInput} turning a GPIO input into
 * button and motion events with an injected clock and scheduler, {@link dev.edgekit.hardware.driver.DigitalSwitch}
 * and {@link dev.edgekit.hardware.driver.PwmOutput}. Drivers do not open pins or buses themselves: they are handed
 * Pi4J objects (or a directory), which keeps them usable by anyone with a Pi4J context.
 */
package dev.edgekit.hardware.driver;
