// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title MockERC20
 * @notice A plain ERC-20 with a fixed supply minted to one holder, for tests and the local demo
 * (for example a stablecoin held by the treasury). Not part of a production deployment.
 */
contract MockERC20 is ERC20 {
    uint8 private immutable _decimals;

    /**
     * @param name_ Token name.
     * @param symbol_ Token symbol.
     * @param decimals_ Token decimals.
     * @param holder Receives the whole supply.
     * @param supply Supply in base units.
     */
    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        address holder,
        uint256 supply
    ) ERC20(name_, symbol_) {
        _decimals = decimals_;
        _mint(holder, supply);
    }

    /// @notice The token's decimals.
    function decimals() public view override returns (uint8) {
        return _decimals;
    }
}
