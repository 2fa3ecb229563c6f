package dev.edgekit.hardware.board;

/** The GPIO numbering of a Raspberry Pi's 40-pin header (BCM numbers) and which pins carry hardware PWM. */
final class PinMap {
    static final int MAX_GPIO = 27;
    private final boolean rp1;

    private PinMap(boolean rp1) {
        this.rp1 = rp1;
    }

    /** Pi 1..4, Zero: PWM0 on GPIO 12/18, PWM1 on GPIO 13/19. */
    static PinMap classic() {
        return new PinMap(false);
    }

    /** Pi 5 (RP1): channels 0..3 on GPIO 12, 13, 18, 19. */
    static PinMap rp1() {
        return new PinMap(true);
    }

    void checkGpio(int pin) {
        if (pin < 0 || pin > MAX_GPIO) {
            throw new IllegalArgumentException("GPIO " + pin + " does not exist: use a BCM GPIO number 0.." + MAX_GPIO
                    + " (GPIO numbers, not physical header pin numbers)");
        }
    }

    int pwmChannel(int pin) {
        checkGpio(pin);
        int channel = switch (pin) {
            case 12 -> 0;
            case 13 -> 1;
            case 18 -> rp1 ? 2 : 0;
            case 19 -> rp1 ? 3 : 1;
            default -> -1;
        };
        if (channel < 0) {
            throw new IllegalArgumentException("GPIO " + pin + " has no hardware PWM: use GPIO 12 or 18 (PWM0)"
                    + " or 13 or 19 (PWM1), with dtoverlay=pwm-2chan");
        }
        return channel;
    }
}
